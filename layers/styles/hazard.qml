<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="AllStyleCategories" labelsEnabled="0" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <renderer-v2 type="categorizedSymbol" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1" attr="hazard_class">
    <categories>
      <category value="1" label="Clase 1" symbol="0" render="true" />
      <category value="2" label="Clase 2" symbol="1" render="true" />
      <category value="3" label="Clase 3" symbol="2" render="true" />
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="158,154,200,0" />
            <Option name="style" type="QString" value="no" />
            <Option name="outline_color" type="QString" value="158,154,200,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.6" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="158,154,200,0" />
          <prop k="style" v="no" />
          <prop k="outline_color" v="158,154,200,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.6" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="110,90,168,0" />
            <Option name="style" type="QString" value="no" />
            <Option name="outline_color" type="QString" value="110,90,168,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.8999999999999999" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="110,90,168,0" />
          <prop k="style" v="no" />
          <prop k="outline_color" v="110,90,168,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.8999999999999999" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="71,15,132,0" />
            <Option name="style" type="QString" value="no" />
            <Option name="outline_color" type="QString" value="71,15,132,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="1.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="bevel" />
          </Option>
          <prop k="color" v="71,15,132,0" />
          <prop k="style" v="no" />
          <prop k="outline_color" v="71,15,132,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="1.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="joinstyle" v="bevel" />
        </layer>
      </symbol>
    </symbols>
    <rotation />
    <sizescale />
  </renderer-v2>
  <layerOpacity>1</layerOpacity>
  <aliases>
    <alias field="fid" index="0" name="Identificador interno" />
    <alias field="hazard_class" index="1" name="Clase de amenaza" />
    <alias field="label" index="2" name="Etiqueta" />
    <alias field="lower" index="3" name="Intensidad mínima" />
    <alias field="upper" index="4" name="Intensidad máxima" />
  </aliases>
  <layerGeometryType>2</layerGeometryType>
</qgis>
